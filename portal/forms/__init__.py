"""Portal forms, one module per page area: input parsing only; the services validate and change
state. Shared date and note fields are in ``fields.py``; ``service_errors.py`` puts a service's
refusal on a form."""
