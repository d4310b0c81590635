"""Hidden graders for lecture09 (restricted Boltzmann machine). Inputs come from the secret seed via ``rng``."""

import itertools

import numpy as np
import pytest

from course_lib.grading.checks import as_array, relative_error


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _rbm(rng, n_visible, n_hidden, scale):
    return (
        rng.normal(0.0, scale, size=(n_visible, n_hidden)),
        rng.normal(0.0, 1.0, size=n_visible),
        rng.normal(0.0, 1.0, size=n_hidden),
    )


def _binary(rng, shape, p=0.4):
    return (rng.random(shape) < p).astype(float)


# ---------------------------------------------------------------------------
# 1. conditional probabilities
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("conditionals", weight=1)
def test_hidden_probabilities(student, rng):
    """hidden_probabilities(v, W, b_h) = sigmoid(v W + b_h) for every row, shape (N, n_hidden)"""
    n_v, n_h, n = int(rng.integers(5, 12)), int(rng.integers(2, 7)), int(rng.integers(3, 20))
    W, _, b_h = _rbm(rng, n_v, n_h, 1.0)
    v = _binary(rng, (n, n_v))
    got = as_array(student.call("hidden_probabilities", v, W, b_h), "hidden_probabilities(...)", (n, n_h))
    assert relative_error(got, _sigmoid(v @ W + b_h)) < 1e-9, "P(h = 1 | v) is wrong"


@pytest.mark.grade_cell("conditionals", weight=1)
def test_visible_probabilities(student, rng):
    """visible_probabilities(h, W, b_v) = sigmoid(h W^T + b_v) for every row, shape (N, n_visible)"""
    n_v, n_h, n = int(rng.integers(5, 12)), int(rng.integers(2, 7)), int(rng.integers(3, 20))
    W, b_v, _ = _rbm(rng, n_v, n_h, 1.0)
    h = _binary(rng, (n, n_h))
    got = as_array(student.call("visible_probabilities", h, W, b_v), "visible_probabilities(...)", (n, n_v))
    assert relative_error(got, _sigmoid(h @ W.T + b_v)) < 1e-9, "P(v = 1 | h) is wrong"


# ---------------------------------------------------------------------------
# 2. one CD-1 step with given uniform numbers
# ---------------------------------------------------------------------------


def _trusted_cd1(v0, W, b_v, b_h, u_h, u_v, eta):
    p0 = _sigmoid(v0 @ W + b_h)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < _sigmoid(h0 @ W.T + b_v)).astype(float)
    p1 = _sigmoid(v1 @ W + b_h)
    n = len(v0)
    return eta * (v0.T @ p0 - v1.T @ p1) / n, eta * np.mean(v0 - v1, axis=0), eta * np.mean(p0 - p1, axis=0)


def _student_cd1(student, rng):
    n_v, n_h, n = int(rng.integers(6, 14)), int(rng.integers(3, 8)), int(rng.integers(5, 30))
    W, b_v, b_h = _rbm(rng, n_v, n_h, 1.0)
    v0 = _binary(rng, (n, n_v))
    u_h, u_v = rng.random((n, n_h)), rng.random((n, n_v))
    eta = float(rng.uniform(0.01, 0.5))
    result = student.call("cd1_update", v0, W, b_v, b_h, u_h, u_v, eta)
    assert isinstance(result, (list, tuple)) and len(result) == 3, "cd1_update must return three arrays (dW, db_v, db_h)"
    got = (
        as_array(result[0], "dW", (n_v, n_h)),
        as_array(result[1], "db_v", (n_v,)),
        as_array(result[2], "db_h", (n_h,)),
    )
    return got, _trusted_cd1(v0, W, b_v, b_h, u_h, u_v, eta)


@pytest.mark.grade_cell("cd1", weight=2)
def test_cd1_weight_increment(student, rng):
    """cd1_update gives the weight increment eta (<v0 p0> - <v1 p1>) for the given random numbers"""
    got, want = _student_cd1(student, rng)
    assert relative_error(got[0], want[0]) < 1e-9, "the weight increment dW is wrong"


@pytest.mark.grade_cell("cd1", weight=1)
def test_cd1_bias_increments(student, rng):
    """cd1_update gives the bias increments eta <v0 - v1> and eta <p0 - p1>"""
    got, want = _student_cd1(student, rng)
    assert relative_error(got[1], want[1]) < 1e-9, "the visible bias increment db_v is wrong"
    assert relative_error(got[2], want[2]) < 1e-9, "the hidden bias increment db_h is wrong"


# ---------------------------------------------------------------------------
# 3. Gibbs sampling against exact sums
# ---------------------------------------------------------------------------

CHAINS, STEPS, TOLERANCE = 4000, 60, 0.04  # statistical error of a mean or correlation: below 0.008


def _visible_states(n_visible):
    return np.array(list(itertools.product([0.0, 1.0], repeat=n_visible)))


def _bernoulli_table(states, p):
    """P(state | p) for every row of probabilities p (independent units): shape (len(p), len(states))."""
    return np.prod(np.where(states[None, :, :] == 1, p[:, None, :], 1 - p[:, None, :]), axis=2)


def _moments(distribution, states):
    return distribution @ states, np.einsum("n,ni,nk->ik", distribution, states, states)


def _exact_distribution(W, b_v, b_h):
    """P(v), summed over the hidden units: log P(v) = a.v + sum_j log(1 + exp(b_j + (vW)_j)) + const."""
    v = _visible_states(W.shape[0])
    log_p = v @ b_v + np.sum(np.logaddexp(0.0, v @ W + b_h), axis=1)
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def _kernels(W, b_v, b_h):
    """Exact v -> v' transition matrices: a full Gibbs step, and the shortcut with h = P(h = 1 | v)."""
    v = _visible_states(W.shape[0])
    h = _visible_states(W.shape[1])
    p_h = _bernoulli_table(h, _sigmoid(v @ W + b_h))  # (v, h)
    p_v = _bernoulli_table(v, _sigmoid(h @ W.T + b_v))  # (h, v')
    mean_field = _bernoulli_table(v, _sigmoid(_sigmoid(v @ W + b_h) @ W.T + b_v))
    return p_h @ p_v, mean_field


def _distance(a, b):
    return max(np.max(np.abs(a[0] - b[0])), np.max(np.abs(a[1] - b[1])))


def _strong_rbm(rng):
    """A small RBM whose statistics visibly differ from common shortcuts, and on which STEPS Gibbs steps mix.

    Drawn until a chain of STEPS exact Gibbs steps from the random start is at equilibrium, while one
    step from the start and the mean-field shortcut for the hidden layer are off by several tolerances.
    """
    states = _visible_states(5)
    start = np.full(len(states), 1.0 / len(states))
    while True:
        W, b_v, b_h = _rbm(rng, 5, 3, 2.0)
        exact = _moments(_exact_distribution(W, b_v, b_h), states)
        gibbs, mean_field = _kernels(W, b_v, b_h)
        after_chain = _moments(start @ np.linalg.matrix_power(gibbs, STEPS), states)
        after_one = _moments(start @ gibbs, states)
        shortcut = _moments(start @ np.linalg.matrix_power(mean_field, 200), states)
        if (_distance(after_chain, exact) < 0.002 and _distance(after_one, exact) > 3 * TOLERANCE
                and _distance(shortcut, exact) > 3 * TOLERANCE):
            return W, b_v, b_h, exact[0], exact[1]


def _student_samples(student, rng, W, b_v, b_h):
    samples = as_array(
        student.call("gibbs_samples", W, b_v, b_h, CHAINS, STEPS, int(rng.integers(2**31)), timeout=60),
        "gibbs_samples(...)",
        (CHAINS, W.shape[0]),
    )
    assert np.all((samples == 0) | (samples == 1)), "the samples must be zeros and ones (sample the units, do not return probabilities)"
    return samples


def _check_moments(student, rng):
    W, b_v, b_h, mean, second = _strong_rbm(rng)
    samples = _student_samples(student, rng, W, b_v, b_h)
    assert np.max(np.abs(samples.mean(axis=0) - mean)) < TOLERANCE, (
        f"the mean of {CHAINS} samples after {STEPS} steps differs from the exact <v_i> by more than {TOLERANCE}"
    )
    assert np.max(np.abs(samples.T @ samples / CHAINS - second)) < TOLERANCE, (
        f"the correlations <v_i v_k> of {CHAINS} samples after {STEPS} steps differ from the exact ones by more than {TOLERANCE}"
    )


@pytest.mark.grade_cell("gibbs", weight=1)
def test_gibbs_statistics(student, rng):
    """the means <v_i> and correlations <v_i v_k> of the Gibbs samples match the exact ones of a small RBM"""
    _check_moments(student, rng)


@pytest.mark.grade_cell("gibbs", weight=1)
def test_gibbs_statistics_second_machine(student, rng):
    """the same for a second small RBM with different couplings"""
    _check_moments(student, rng)
