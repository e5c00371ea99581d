#!/usr/bin/python3
"""Builds a small CNN as an ONNX model with python3-onnx (Debian) and writes it to the given path.

    tools/make_onnx_cnn.py small_cnn.onnx
    npusim run --arch tiny_4x4 --workload small_cnn.onnx --precision fp32

The network exercises the importer end to end: Conv + BatchNormalization + Relu, MaxPool, a
residual Add, GlobalAveragePool, Flatten, Gemm (transB) and Softmax, with seeded weights.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(path):
    rng = np.random.default_rng(7)
    inits = []

    def weight(name, shape, scale=0.3):
        inits.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    nodes = [
        helper.make_node("Conv", ["x", weight("w1", (8, 3, 3, 3)), weight("b1", (8,))], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c1", weight("bn_s", (8,)), weight("bn_b", (8,)), weight("bn_m", (8,)),
                          "bn_v"], ["n1"], epsilon=1e-5),
        helper.make_node("Relu", ["n1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", weight("w2", (8, 8, 3, 3), 0.1)], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "p1"], ["a1"]),
        helper.make_node("Relu", ["a1"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", weight("fc_w", (10, 8)), weight("fc_b", (10,))], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["y"], axis=1),
    ]
    inits.append(numpy_helper.from_array(rng.uniform(0.5, 1.5, 8).astype(np.float32), "bn_v"))
    graph = helper.make_graph(nodes, "small_cnn",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f"wrote {path}: {len(nodes)} nodes")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the .onnx file to write")
    sys.exit(main(parser.parse_args().output))
