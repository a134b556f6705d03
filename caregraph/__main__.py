"""``python -m caregraph`` runs the CLI."""

from caregraph.cli import main

main()
