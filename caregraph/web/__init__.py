"""``caregraph serve``: the graph as a read-only web application (pages, API, SPARQL).

from caregraph.web import ServeConfig, create_app
app = create_app(store, ServeConfig(catalogue))
"""

from caregraph.web.app import CSP, ServeConfig, create_app
from caregraph.web.limits import Limits

__all__ = ["CSP", "Limits", "ServeConfig", "create_app"]
