"""Course platform library for "Machine Learning for Physicists".

Importable by students: it holds lecture reference code, data generators and the
challenge scorers, but no homework solutions and no hidden grader expectations.
"""

__version__ = "0.1.0"
