#!/usr/bin/env bash
# `cmake --install` gives a working npusim: installed into a scratch prefix, the binary runs from
# another directory and reads its designs and models from <prefix>/share/npusim, not from the
# source tree it was built from.
set -euo pipefail
build_dir=$1 prefix=$2
rm -rf "$prefix"
cmake --install "$build_dir" --prefix "$prefix" > /dev/null
cd /
version=$("$prefix/bin/npusim" --version)
echo "$version"
[[ $version == *"data: $prefix/share/npusim)"* ]] || { echo "FAIL: npusim does not read $prefix/share/npusim"; exit 1; }
"$prefix/bin/npusim" list | grep -q tpu_v1 || { echo "FAIL: list shows no designs"; exit 1; }
"$prefix/bin/npusim" run --arch tpu_v1 --workload lenet5 --timing-only --quiet | grep -q "^total:" ||
    { echo "FAIL: the installed npusim cannot run lenet5"; exit 1; }
[[ -f $prefix/share/doc/npusim/LICENSE ]] || { echo "FAIL: no LICENSE in share/doc/npusim"; exit 1; }
echo "installed npusim works from $prefix"
