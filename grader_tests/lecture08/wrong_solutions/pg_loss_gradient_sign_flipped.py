# replaces: pg_loss_solution
# loses: pg_loss=2, maze_policy
# why: writes the gradient as (one_hot - p) A / N, the gradient of -L, so training makes good actions less likely
def policy_gradient_loss(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    chosen = probabilities[np.arange(len(probabilities)), np.asarray(actions, dtype=int)]
    return float(-np.mean(np.asarray(advantage) * np.log(chosen)))


def logit_gradient(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    one_hot = np.eye(probabilities.shape[1])[np.asarray(actions, dtype=int)]
    return (one_hot - probabilities) * np.asarray(advantage, dtype=float)[:, None] / len(probabilities)
