"""Tests of the Slack listeners, end to end. (A package, so that tests/bot's helpers import.)"""
