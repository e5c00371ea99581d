# Seed inputs of each fuzz target: the shipped files of its format, plus generated binaries in
# tests/fuzz/corpus (tests/fuzz/make_seeds.py). tools/fuzz.sh reads this list too.
set(NPUSIM_SEEDS_design_yaml configs/arch)
set(NPUSIM_SEEDS_model_yaml workloads/models tests/data/models)
set(NPUSIM_SEEDS_onnx_model tests/fuzz/corpus/onnx_model)
set(NPUSIM_SEEDS_idx_file tests/fuzz/corpus/idx_file)
set(NPUSIM_SEEDS_scalesim_cfg tests/data/scalesim)
set(NPUSIM_SEEDS_scalesim_topology tests/data/scalesim)
