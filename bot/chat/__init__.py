"""The neutral chat model and the ports every chat adapter uses."""
