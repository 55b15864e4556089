"""The deployable definition, one module per concern: see build.py and docs/deploy.md."""
