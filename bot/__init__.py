"""The hub: FastAPI app, command line and process supervisor."""
