"""Scoring core of the two course challenges (see the course's challenge rules).

- `autoencoder.score_autoencoder_entry`: the Grand Autoencoder Challenge (lecture 4).
- `maze_score.score_maze_entry`: the maze reinforcement-learning challenge (lecture 9).
- `cli.score_entry_cli`: ``course challenge score autoencoder|maze DIR ...``.

The submodules are imported on demand: the data generators and the maze environment need only
NumPy, while the scorers load TensorFlow/Keras.
"""
