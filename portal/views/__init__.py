"""Portal views, one module per audience: auth, facility head, manager."""
