"""The bottleneck of an autoencoder: the fewest neurons every input-to-output path must cross.

The layer graph has one vertex per layer call (a shared layer called twice carries two
different activations), weighted by that call's neuron count for one image, i.e. the product of
its output shape without the batch axis. The bottleneck is the minimum vertex cut between the
input and the output, computed as a maximum flow after splitting each vertex into an `in` and
an `out` half joined by an edge of the vertex's capacity. The input and output layers
themselves are never part of the cut, so for a plain stack the result is the smallest layer in
between, as the course's `print_layers` reading gives; a skip connection that carries the input
around a narrow layer forces the cut onto the wide path.

Nested Sequential/Functional models with one input and one output are expanded into their
layers; other nested models count as a single vertex (a conservative choice: it can only make
the bottleneck larger).
"""

import math
from dataclasses import dataclass, field

import networkx as nx

from mlphys.challenges.errors import EntryRejected

HARD_LIMIT = 3
MEDIUM_LIMIT = 9


@dataclass
class Bottleneck:
    """Size of the minimum vertex cut and the layers forming it (math.inf when none exists)."""

    size: float
    layers: list[str] = field(default_factory=list)


@dataclass
class LayerGraph:
    """Directed graph of layer calls with per-vertex neuron counts."""

    graph: nx.DiGraph
    source: object
    sink: object


def variants_for(bottleneck_size: float) -> list[str]:
    """Boards an entry appears on: HARD entries also appear on the MEDIUM board."""
    if bottleneck_size <= HARD_LIMIT:
        return ["HARD", "MEDIUM"]
    if bottleneck_size <= MEDIUM_LIMIT:
        return ["MEDIUM"]
    return []


def check_bottleneck(model) -> tuple[Bottleneck, list[str]]:
    """The bottleneck and its variants, or `EntryRejected` when it is wider than MEDIUM allows."""
    try:
        found = find_bottleneck(model)
    except EntryRejected:
        raise
    except Exception as error:  # an architecture this analysis does not understand
        raise EntryRejected(
            f"the layer graph of the model could not be analysed for its bottleneck ({type(error).__name__}: "
            f"{str(error)[:200]}); please report this to the course staff",
            "unsupported_architecture",
        ) from None
    variants = variants_for(found.size)
    if variants:
        return found, variants
    if math.isinf(found.size):
        raise EntryRejected(
            "the input reaches the output without passing through any layer (for example a skip "
            "connection from the input straight into the output layer), so the network has no "
            f"bottleneck; MEDIUM allows at most {MEDIUM_LIMIT} neurons and HARD at most {HARD_LIMIT}",
            "bottleneck",
        )
    where = ", ".join(found.layers)
    raise EntryRejected(
        f"the bottleneck holds {int(found.size)} neurons (the narrowest set of layers every path "
        f"from input to output crosses: {where}); MEDIUM allows at most {MEDIUM_LIMIT} and HARD "
        f"at most {HARD_LIMIT}",
        "bottleneck",
    )


def find_bottleneck(model) -> Bottleneck:
    """Minimum vertex cut between the model's input and output layers."""
    layer_graph = build_layer_graph(model)
    if layer_graph.source == layer_graph.sink:
        return Bottleneck(math.inf)
    flow = nx.DiGraph()
    for vertex, data in layer_graph.graph.nodes(data=True):
        flow.add_edge((vertex, "in"), (vertex, "out"), capacity=data["neurons"])
    for tail, head in layer_graph.graph.edges():
        flow.add_edge((tail, "out"), (head, "in"))  # no capacity attribute: unbounded
    source, sink = (layer_graph.source, "out"), (layer_graph.sink, "in")
    try:
        size, (reachable, _) = nx.minimum_cut(flow, source, sink)
    except nx.NetworkXUnbounded:
        return Bottleneck(math.inf)
    cut = [
        layer_graph.graph.nodes[vertex]["label"]
        for vertex in layer_graph.graph.nodes
        if (vertex, "in") in reachable and (vertex, "out") not in reachable
    ]
    return Bottleneck(size, sorted(cut))


def build_layer_graph(model) -> LayerGraph:
    """The layer-call graph of a built single-input, single-output Keras model."""
    functional = _functional_graph_of(model)
    if functional is None:
        raise EntryRejected("the model's layer graph cannot be read (is it built with an input?)", "unbuilt_model")
    if len(functional.inputs) != 1 or len(functional.outputs) != 1:
        raise EntryRejected("the model must have exactly one input and one output", "wrong_input_shape")
    graph = nx.DiGraph()
    input_node = _producing_node(functional.inputs[0])
    source = ("input", id(input_node))
    graph.add_node(source, neurons=_neurons(input_node, "input"), label="input")
    sink = _add_functional(graph, functional, prefix="", feed=source)
    return LayerGraph(graph, source, sink)


def _functional_graph_of(model):
    """The Functional graph behind a model (Sequential keeps one internally once built)."""
    import keras

    if isinstance(model, keras.Sequential):
        model = getattr(model, "_functional", None)
    if model is None or not hasattr(model, "_nodes_by_depth"):
        return None
    return model


def _producing_node(tensor):
    history = tensor._keras_history
    return history.operation._inbound_nodes[history.node_index]


def _add_functional(graph: nx.DiGraph, functional, prefix: str, feed) -> object:
    """Add the calls of `functional`, feeding its input from vertex `feed`; return its output vertex."""
    vertex_of = {}
    for depth in sorted(functional._nodes_by_depth, reverse=True):
        for node in functional._nodes_by_depth[depth]:
            if node.is_input:
                vertex_of[id(node)] = feed
                continue
            parents = [vertex_of[id(parent)] for parent in node.parent_nodes]
            operation = node.operation
            label = f"{prefix}{operation.name}"
            inner = _functional_graph_of(operation) if _is_model(operation) else None
            if inner is not None and len(inner.inputs) == 1 and len(inner.outputs) == 1 and len(set(parents)) == 1:
                vertex_of[id(node)] = _add_functional(graph, inner, prefix=f"{label}/", feed=parents[0])
                continue
            vertex = (label, id(node))
            graph.add_node(vertex, neurons=_neurons(node, label), label=label)
            for parent in parents:
                graph.add_edge(parent, vertex)
            vertex_of[id(node)] = vertex
    return vertex_of[id(_producing_node(functional.outputs[0]))]


def _is_model(operation) -> bool:
    import keras

    return isinstance(operation, keras.Model)


def _neurons(node, label: str) -> int:
    """Neurons of one layer call for one image: product of each output shape without batch axis."""
    total = 0
    for tensor in node.outputs:
        sizes = tuple(tensor.shape)[1:]
        if any(size is None for size in sizes):
            raise EntryRejected(
                f"the size of layer '{label}' cannot be determined for a 27x27x1 input "
                f"(output shape {tuple(tensor.shape)})",
                "unknown_layer_size",
            )
        total += math.prod(sizes)
    return total
