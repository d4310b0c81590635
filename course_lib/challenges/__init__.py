"""Instructor tools of the two challenges; the scorers themselves run in a sandbox (``mlphys.challenges``).

Modules:

- ``cli``: ``course challenge score autoencoder|maze DIR ...``, scoring an entry on this machine.
- ``reference_models``: the reference entries shown on the boards and used by tests and benchmarks.
- ``maze_reference``: the maze rules written out one episode at a time (the environment's cross-check).
- ``train_baseline_policy``: the script that trains the course's baseline maze policy.
"""
