"""What a unit could do: what-if changes, improvement plans, robustness of the ranking.

``whatif`` rescores a unit with changed inputs; ``gaps`` finds where it loses points and the
input changes (proposed by each rule kind) that would win them back; ``plan`` picks the
cheapest of them that reach a target (``targets`` reads the target as gains); ``robustness``
measures how ranks move under the uncertainties ``uncertainty`` declares and draws.
"""
