# replaces: maze_policy_solution
# loses: maze_policy
# why: hard-codes the notebook's maze: trains on the global walls and chests instead of the arguments
def train_maze_policy(walls_, chests_, seed):
    global policy_params
    updates, batch, gamma, learning_rate = 300, 32, 0.8, 0.01
    rng = np.random.default_rng(seed)
    policy_params = init_network(walls.size * 3, 32, N_ACTIONS, seed)
    state, history = {}, []
    for _ in range(updates):
        observations, actions, rewards = play(walls, chests, policy, batch, rng)
        A = advantages(returns_to_go(rewards, gamma)).ravel()
        probabilities, cache = network_forward(policy_params, observations.reshape(batch * T, -1))
        grads = network_backward(policy_params, cache, logit_gradient(probabilities, actions.ravel(), A))
        adam_step(policy_params, grads, state, learning_rate)
        history.append(rewards.sum(axis=1).mean())
    return history


def policy(observations):
    return network_forward(policy_params, observations)[0]
