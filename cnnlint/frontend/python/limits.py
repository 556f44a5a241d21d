"""The interpreter's budgets: steps, time, call depth, loop unrolling and the sizes of folded values.

Every limit turns what it stops into UNKNOWN (or stops the file with a note), never into a guess.
"""

from __future__ import annotations

MAX_STEPS = 200_000
# Wall-clock budget for interpreting one file: past it, every analysis still running stops and
# what was built so far is checked (quiet on the rest, never a hang).
FILE_SECONDS = 10.0
MAX_CALL_DEPTH = 24
# Steps one file may spend running other project files' functions (docs/project.md, "Cost"): past
# them, a call of another file's function is unknown. A package imported whole (a library checked
# as part of its own repository: every example runs its layers' code) costs what a file does.
MAX_FOREIGN_STEPS = 10_000
MAX_UNROLL = 512
# A loop over known items is unrolled while it has cost fewer steps than this; the iterations left
# then run as one abstract pass (what holds in every iteration; appended lists of unknown length).
MAX_UNROLL_STEPS = 10_000
MAX_FORK_STATE = 2_000  # container items a fork may copy
# Constant folding stops (the value becomes unknown) past these sizes: a loop that squares a
# number or doubles a string or list would otherwise take exponential time and memory in one step.
MAX_INT_BITS = 10_000  # also keeps str() of a folded int under Python's 4300-digit limit
MAX_TEXT = 100_000  # characters of a folded string
MAX_ITEMS = 100_000  # items of a modelled list or tuple
MAX_DIM_TERMS = 64  # terms of a symbolic dimension (a polynomial)

