"""What a unit could do: what-if changes, improvement plans, robustness of the ranking.

``whatif`` rescores a unit with changed inputs, ``plan`` searches for the cheapest changes that
reach a target, ``robustness`` measures how ranks move under uncertain inputs.
"""
