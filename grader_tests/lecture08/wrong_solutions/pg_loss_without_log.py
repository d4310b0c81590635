# replaces: pg_loss_solution
# loses: pg_loss=1
# why: weights the probability itself instead of its logarithm in the loss
def policy_gradient_loss(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    chosen = probabilities[np.arange(len(probabilities)), np.asarray(actions, dtype=int)]
    return float(-np.mean(np.asarray(advantage) * chosen))


def logit_gradient(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    one_hot = np.eye(probabilities.shape[1])[np.asarray(actions, dtype=int)]
    return (probabilities - one_hot) * np.asarray(advantage, dtype=float)[:, None] / len(probabilities)
