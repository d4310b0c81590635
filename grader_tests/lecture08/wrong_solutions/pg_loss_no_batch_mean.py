# replaces: pg_loss_solution
# loses: pg_loss=2
# why: forgets the factor 1/N in the gradient (Adam hides the scale, so training still works)
def policy_gradient_loss(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    chosen = probabilities[np.arange(len(probabilities)), np.asarray(actions, dtype=int)]
    return float(-np.mean(np.asarray(advantage) * np.log(chosen)))


def logit_gradient(probabilities, actions, advantage):
    probabilities = np.asarray(probabilities, dtype=float)
    one_hot = np.eye(probabilities.shape[1])[np.asarray(actions, dtype=int)]
    return (probabilities - one_hot) * np.asarray(advantage, dtype=float)[:, None]
