"""Ranking: findings scored with their reasons, and ``--fail-on``."""
