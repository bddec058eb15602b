"""Microsoft Teams adapter (issue 11): the app package for now."""
