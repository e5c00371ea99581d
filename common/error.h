#pragma once
// Errors are exceptions carrying their context (file, line, key path); the CLI turns them into
// one clear line and a non-zero exit (DESIGN.md section 5.10).
#include <stdexcept>
#include <string>

namespace npu {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A design, energy table or sweep file is wrong.
class ConfigError : public Error {
public:
    using Error::Error;
};

// A design or sweep file has a key that does not exist (typed, so that sweeps can tell it from
// a value that is merely out of range without reading the message).
class UnknownKeyError : public ConfigError {
public:
    using ConfigError::ConfigError;
};

// A model (YAML, ONNX, CSV) is wrong or uses something unsupported.
class WorkloadError : public Error {
public:
    using Error::Error;
};

// A workload uses an operator, attribute or shape npusim does not support (imported models).
class UnsupportedError : public WorkloadError {
public:
    using WorkloadError::WorkloadError;
};

// A workload does not fit a design (no tiling fits the buffers, unsupported precision).
class CompileError : public Error {
public:
    using Error::Error;
};

// A compiled program would pass a limit of common/limits.h (the compiler adds the layer).
class LimitError : public CompileError {
public:
    using CompileError::CompileError;
};

// A command-line argument is wrong.
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace npu
