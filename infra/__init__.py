"""The deployable definition: see build.py and docs/deploy.md."""
