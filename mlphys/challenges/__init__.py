"""Challenge scoring as it runs inside a scoring sandbox (see the course's challenge rules).

Modules:

- ``score_entry``: ``python -m mlphys.challenges.score_entry``: one job in, one result record out.
- ``autoencoder``: the Grand Autoencoder Challenge's scorer (lecture 4).
- ``autoencoder_settings``: an autoencoder entry's training settings file, read and checked.
- ``bottleneck``: the bottleneck rule, checked on the entry's layer graph.
- ``circles``: the challenge's images of circles.
- ``maze_score``: the maze challenge's scorer (lecture 9).
- ``safe_model``: a Keras model file opened without running anything it carries.
- ``fresh_copy``: a freshly initialised copy of an entry's model for each training run.
- ``results``: the result record both scorers return.
- ``errors``: ``EntryRejected``, a rule an entry breaks.

The submodules are imported on demand: the data generators need only NumPy, while the
scorers load TensorFlow/Keras.
"""
