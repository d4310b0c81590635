# replaces: maze_policy_solution
# loses: maze_policy
# why: never trains: the policy returns equal probabilities for all actions
def train_maze_policy(walls, chests, seed):
    return []


def policy(observations):
    return np.full((len(observations), N_ACTIONS), 1.0 / N_ACTIONS)
