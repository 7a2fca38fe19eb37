"""Budgets: cost lines of groups and courses, and the cost figures of the statistics."""
