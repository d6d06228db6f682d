"""Custom Rasa NLU components; imported only by the Rasa environment (.venv-rasa)."""
