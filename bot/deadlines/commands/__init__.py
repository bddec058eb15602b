"""The chat commands of deadlines, in cohesive parts; `feature.py` puts them together."""
