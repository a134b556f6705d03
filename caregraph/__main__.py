"""``python -m caregraph`` runs the CLI (through the same entry point as the command)."""

from caregraph.launch import main

main()
