# replaces: maze_policy_solution
# loses: maze_policy
# why: plays one batch of episodes before training and takes every Adam step on that same old batch instead of fresh episodes from the current policy
def train_maze_policy(walls, chests, seed):
    global policy_params
    updates, batch, gamma, learning_rate = 300, 32, 0.8, 0.01
    walls, chests = np.asarray(walls, dtype=bool), np.asarray(chests)
    rng = np.random.default_rng(seed)
    policy_params = init_network(walls.size * 3, 32, N_ACTIONS, seed)
    state, history = {}, []
    observations, actions, rewards = play(walls, chests, policy, batch, rng)
    A = advantages(returns_to_go(rewards, gamma)).ravel()
    for _ in range(updates):
        probabilities, cache = network_forward(policy_params, observations.reshape(batch * T, -1))
        grads = network_backward(policy_params, cache, logit_gradient(probabilities, actions.ravel(), A))
        adam_step(policy_params, grads, state, learning_rate)
        history.append(rewards.sum(axis=1).mean())
    return history


def policy(observations):
    return network_forward(policy_params, observations)[0]
