"""The Slack (and console) side of showfacts: translates requests to ``facts`` calls and renders answers."""
