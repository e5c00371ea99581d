#!/usr/bin/python3
"""Writes the generated part of the fuzz seed corpus (run from the repository root; needs
python3-onnx and numpy). The YAML, .cfg and .csv seeds are copies of shipped files; these are
binary and made here: small ONNX models, one per group of supported operators, and IDX files of
every element type, plain and gzip-compressed.

    tests/fuzz/make_seeds.py
"""
import argparse
import gzip
import os
import struct

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
rng = np.random.default_rng(11)


def onnx_model(name, nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    with open(os.path.join(ROOT, "onnx_model", name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def tensor(name, shape, dtype=np.float32):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.5).astype(dtype), name)


def vinfo(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def onnx_seeds():
    os.makedirs(os.path.join(ROOT, "onnx_model"), exist_ok=True)
    x = vinfo("x", [1, 2, 6, 6])
    onnx_model("conv_pool", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["m"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("AveragePool", ["m"], ["a"], kernel_shape=[2, 2], ceil_mode=1),
        helper.make_node("GlobalAveragePool", ["a"], ["y"]),
    ], [x], [vinfo("y", [1, 4, 1, 1])], [tensor("w", (4, 2, 3, 3)), tensor("b", (4,))])
    onnx_model("gemm_softmax", [
        helper.make_node("Flatten", ["x"], ["f"]),
        helper.make_node("Gemm", ["f", "w", "b"], ["g"], transB=1),
        helper.make_node("Clip", ["g", "lo", "hi"], ["c"]),
        helper.make_node("Softmax", ["c"], ["y"], axis=1),
    ], [x], [vinfo("y", [1, 5])], [tensor("w", (5, 72)), tensor("b", (5,)),
                                     numpy_helper.from_array(np.array(0, np.float32), "lo"),
                                     numpy_helper.from_array(np.array(6, np.float32), "hi")])
    onnx_model("residual_concat", [
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1], group=2),
        helper.make_node("BatchNormalization", ["c", "s", "o", "m", "v"], ["n"]),
        helper.make_node("Add", ["n", "x"], ["a"]),
        helper.make_node("Concat", ["a", "x"], ["k"], axis=1),
        helper.make_node("Reshape", ["k", "shape"], ["y"]),
    ], [x], [vinfo("y", [1, 144])], [tensor("w", (2, 1, 3, 3)), tensor("s", (2,)), tensor("o", (2,)),
                                       tensor("m", (2,)), numpy_helper.from_array(np.ones(2, np.float32), "v"),
                                       numpy_helper.from_array(np.array([1, 144], np.int64), "shape")])
    onnx_model("matmul", [helper.make_node("MatMul", ["v", "w"], ["y"])],
               [vinfo("v", [3, 8])], [vinfo("y", [3, 4])], [tensor("w", (8, 4))])
    q = vinfo("q", [1, 2, 5, 5], TensorProto.UINT8)
    scalar = lambda name, v, t: numpy_helper.from_array(np.array(v, t), name)
    onnx_model("qlinear_conv", [
        helper.make_node("QLinearConv", ["q", "qs", "qz", "w", "ws", "wz", "ys", "yz"], ["y"], pads=[1, 1, 1, 1]),
    ], [q], [vinfo("y", [1, 3, 5, 5], TensorProto.UINT8)],
        [scalar("qs", 0.05, np.float32), scalar("qz", 128, np.uint8),
         numpy_helper.from_array(rng.integers(-5, 5, (3, 2, 3, 3)).astype(np.int8), "w"),
         scalar("ws", 0.02, np.float32), scalar("wz", 0, np.int8), scalar("ys", 0.1, np.float32),
         scalar("yz", 128, np.uint8)])


def idx_bytes(code, fmt, array):
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(fmt).tobytes()


def idx_seeds():
    os.makedirs(os.path.join(ROOT, "idx_file"), exist_ok=True)
    images = rng.integers(0, 256, (3, 4, 4)).astype(np.uint8)
    files = {
        "images_u8.idx": idx_bytes(0x08, ">u1", images),
        "labels_u8.idx": idx_bytes(0x08, ">u1", np.array([0, 9, 3], np.uint8)),
        "values_i8.idx": idx_bytes(0x09, ">i1", rng.integers(-128, 128, (2, 3))),
        "values_i16.idx": idx_bytes(0x0B, ">i2", rng.integers(-3000, 3000, (2, 2))),
        "values_i32.idx": idx_bytes(0x0C, ">i4", rng.integers(-10**6, 10**6, (5,))),
        "values_f32.idx": idx_bytes(0x0D, ">f4", rng.standard_normal((2, 2, 2))),
        "values_f64.idx": idx_bytes(0x0E, ">f8", rng.standard_normal((3,))),
    }
    files["images_u8.idx.gz"] = gzip.compress(files["images_u8.idx"], mtime=0)
    for name, data in files.items():
        with open(os.path.join(ROOT, "idx_file", name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    onnx_seeds()
    idx_seeds()
