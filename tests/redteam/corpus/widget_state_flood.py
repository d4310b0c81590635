# replaces: mean_solution
# base: reference
# expect: 3
# message: widget comms sent
# why: opens widget comms without _model_module and sends 60 MB of widget state, which nbclient would write into the notebook's metadata
from comm import create_comm


def mean_of(values):
    return float(np.mean(values))


for index in range(30):
    comm = create_comm(target_name="jupyter.widget", data={"state": {"value": "w" * 2**20}, "buffer_paths": []})
    comm.send({"method": "update", "state": {"value": "z" * 2**20}, "buffer_paths": []})
print("widget comms sent")
