#!/usr/bin/env python3
"""The GPU benchmark, run on the lent device by bench/gpu/run.sh.

Loads the kernels bench/gpu/prepare.sh compiled here (libmixir-bench.so, the
launchers of model.h), and for every function of cases.tsv:
  - runs it on fresh random bf16 inputs with the output poisoned (NaN) first
    and checks it against a float64 torch reference on sampled heads and rows
    (the reference rounded to bf16; rel_l2 within the spec's 1e-2 for bf16,
    no poison left anywhere);
  - times it with CUDA events (median of --runs after --warmup), next to
    torch SDPA (flash backend), FlexAttention (torch.compile'd; causal and
    block masks) and a fused-attention Triton kernel written for this
    benchmark after the Triton tutorial's scheme; cuBLAS's bf16 GEMM is the
    ceiling; sigmoid is compared with Mixir's own softmax; block-sparse runs
    at 10, 25 and 50% density;
  - last, links one Mixir kernel and one Triton-AOT compiled kernel through
    Triton's link.py into one C program, builds and runs it.
Prints one table (TFLOP/s, ratios, the card) and writes it, a CSV and the
environment under --out. Peers that cannot run (a missing module, the time
budget spent) are reported as skipped with the reason, never silently.

--dry-run (no GPU, no torch): loads the library against the stub libcuda,
checks every function and its workspace query, builds the C program of the
link step with Mixir's own kernel only (mixir-tt-link, the same rules as
link.py), and prints the plan.
"""

import argparse
import csv
import ctypes
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DENSITIES = (0.10, 0.25, 0.50)
BF16_TOLERANCE = 1e-2  # the spec's rel_l2 bound for bf16 results


def read_cases(path):
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        for key in ("causal", "batch", "heads", "length", "dim", "block"):
            row[key] = int(row[key])
    return rows


def load_library(directory, stub_libcuda=None):
    if stub_libcuda:
        # The stub's soname is libcuda.so.1: loaded globally first, it
        # satisfies the loader's dependency without a driver.
        ctypes.CDLL(stub_libcuda, mode=ctypes.RTLD_GLOBAL)
    lib = ctypes.CDLL(os.path.join(directory, "libmixir-bench.so"))
    lib.load_model.restype = ctypes.c_int
    return lib


def bind(lib, case):
    """The host function of a case (stream, inputs, output, workspace)."""
    function = getattr(lib, case["name"])
    inputs = 4 if case["block"] else 3
    function.argtypes = [ctypes.c_void_p] + [ctypes.c_uint64] * (inputs + 2)
    function.restype = ctypes.c_int
    workspace = getattr(lib, case["name"] + "_workspace_size")
    workspace.restype = ctypes.c_size_t
    return function, workspace()


def dense_flops(case):
    b, h, s, d = case["batch"], case["heads"], case["length"], case["dim"]
    if case["causal"]:
        return 4.0 * b * h * d * s * (s + 1) / 2
    return 4.0 * b * h * d * s * s


class Timer:
    def __init__(self, torch, warmup, runs):
        self.torch, self.warmup, self.runs = torch, warmup, runs

    def median_ms(self, fn):
        torch = self.torch
        for _ in range(self.warmup):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(self.runs):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        return statistics.median(times)


def reference_rows(torch, q, k, v, case, layout, b, h, rows):
    """o[b, h, rows] in float64, as the spec defines it."""
    d, s = case["dim"], case["length"]
    scale = 1.0 / math.sqrt(d)
    qd = q[b, h, rows].double()
    kd, vd = k[b, h].double(), v[b, h].double()
    logits = (qd @ kd.T) * scale
    keys = torch.arange(s, device=q.device)
    allowed = torch.ones_like(logits, dtype=torch.bool)
    if case["causal"]:
        allowed &= keys[None, :] <= rows[:, None]
    if layout is not None:
        blk = case["block"]
        allowed &= layout[h][rows // blk][:, keys // blk]
    if case["score"] == "sigmoid":
        weights = torch.sigmoid(logits - math.log(s)) * allowed
    else:
        weights = torch.softmax(logits.masked_fill(~allowed, -math.inf), -1)
        weights = torch.nan_to_num(weights, nan=0.0)  # rows with no key: 0
    return weights @ vd


def check(torch, q, k, v, out, case, layout):
    """(ok, rel_l2) on 2 heads x 96 rows (first, last, random)."""
    if torch.isnan(out).any():
        return False, float("nan")
    s = case["length"]
    generator = torch.Generator(device="cpu").manual_seed(s + case["dim"])
    rows = torch.cat([torch.arange(16), torch.arange(s - 16, s),
                      torch.randint(0, s, (64,), generator=generator)])
    rows = rows.to(q.device)
    worst = 0.0
    for b, h in ((0, 0), (case["batch"] - 1, case["heads"] - 1)):
        expected = reference_rows(torch, q, k, v, case, layout, b, h, rows)
        expected = expected.to(torch.bfloat16).double()
        got = out[b, h, rows].double()
        norm = max(expected.norm().item(), 1e-30)
        worst = max(worst, (got - expected).norm().item() / norm)
    return worst <= BF16_TOLERANCE, worst


def triton_attention():
    """A fused attention forward in Triton after the tutorial's scheme
    (online softmax in base 2, K and V streamed by blocks), written for
    this benchmark; None without triton."""
    try:
        import triton
        import triton.language as tl
    except ImportError:
        return None

    @triton.jit
    def kernel(Q, K, V, O, qk_scale, length, CAUSAL: tl.constexpr,
               D: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
        start_m = tl.program_id(0)
        base = tl.program_id(1).to(tl.int64) * length * D
        rows = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
        cols = tl.arange(0, BLOCK_N)
        dims = tl.arange(0, D)
        q = tl.load(Q + base + rows[:, None] * D + dims[None, :])
        m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
        l_i = tl.zeros([BLOCK_M], tl.float32)
        acc = tl.zeros([BLOCK_M, D], tl.float32)
        end = (start_m + 1) * BLOCK_M if CAUSAL else length
        for start_n in range(0, end, BLOCK_N):
            keys = start_n + cols
            kt = tl.load(K + base + keys[None, :] * D + dims[:, None])
            s = tl.dot(q, kt) * qk_scale
            if CAUSAL:
                s = tl.where(rows[:, None] >= keys[None, :], s, float("-inf"))
            m_new = tl.maximum(m_i, tl.max(s, 1))
            p = tl.math.exp2(s - m_new[:, None])
            alpha = tl.math.exp2(m_i - m_new)
            l_i = l_i * alpha + tl.sum(p, 1)
            vt = tl.load(V + base + keys[:, None] * D + dims[None, :])
            acc = tl.dot(p.to(vt.dtype), vt, acc * alpha[:, None])
            m_i = m_new
        out = acc / l_i[:, None]
        tl.store(O + base + rows[:, None] * D + dims[None, :],
                 out.to(O.dtype.element_ty))

    def run(q, k, v, o, causal):
        b, h, s, d = q.shape
        grid = (s // 128, b * h)
        kernel[grid](q, k, v, o, 1.4426950408889634 / math.sqrt(d), s,
                     CAUSAL=causal, D=d, BLOCK_M=128, BLOCK_N=64,
                     num_warps=8 if d == 128 else 4, num_stages=3)

    return run


def random_layout(torch, case, density, seed):
    blocks = case["length"] // case["block"]
    generator = torch.Generator(device="cpu").manual_seed(seed)
    layout = torch.rand(case["heads"], blocks, blocks, generator=generator)
    return (layout < density).to("cuda")


def flex_block_mask(torch, layout, block, heads, length):
    """FlexAttention's BlockMask of a block layout (the set blocks of each
    query block row first)."""
    from torch.nn.attention.flex_attention import BlockMask
    counts = layout.sum(-1, dtype=torch.int32)[None]
    order = torch.argsort((~layout).to(torch.int8), dim=-1, stable=True)
    return BlockMask.from_kv_blocks(counts, order.to(torch.int32)[None],
                                    BLOCK_SIZE=block)


class Budget:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def left(self):
        return self.deadline - time.monotonic()


def run_device(args, cases):
    import torch
    import torch.nn.functional as F

    torch.zeros(1, device="cuda")  # the primary context, current
    card = torch.cuda.get_device_name()
    capability = torch.cuda.get_device_capability()
    chip = open(os.path.join(args.dir, "chip")).read().strip()
    if int(chip[3:5]) > capability[0] * 10 + capability[1]:
        sys.exit(f"bench: kernels for {chip}, the card is sm_{capability[0]}{capability[1]}")
    lib = load_library(args.dir)
    status = lib.load_model()
    if status != 0:
        sys.exit(f"bench: load_model failed (CUresult {status})")
    timer = Timer(torch, args.warmup, args.runs)
    budget = Budget(args.budget)
    stream = torch.cuda.current_stream().cuda_stream
    triton_run = None if args.skip_triton else triton_attention()
    flex = None
    flex_reason = "--skip-flex"
    if not args.skip_flex:
        try:
            from torch.nn.attention.flex_attention import (create_block_mask,
                                                           flex_attention)
            flex = torch.compile(flex_attention, dynamic=False)
        except Exception as error:  # an older torch: say so in the table
            flex_reason = f"unavailable ({error})"
    from torch.nn.attention import SDPBackend, sdpa_kernel

    # The ceiling: cuBLAS bf16 GEMM, 8192^3.
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    gemm_ms = timer.median_ms(lambda: a @ a)
    gemm_tflops = 2 * 8192**3 / gemm_ms / 1e9
    del a

    results, failures = [], 0
    softmax_ms = {}
    for case in cases:
        torch.manual_seed(case["length"] * 131 + case["dim"])
        shape = (case["batch"], case["heads"], case["length"], case["dim"])
        q, k, v = (torch.randn(shape, device="cuda", dtype=torch.bfloat16)
                   for _ in range(3))
        function, workspace_bytes = bind(lib, case)
        workspace = torch.empty(max(workspace_bytes, 1), device="cuda",
                                dtype=torch.uint8)
        layouts = [(None, None)]
        if case["block"]:
            layouts = [(d, random_layout(torch, case, d, case["length"] + i))
                       for i, d in enumerate(DENSITIES)]
        for density, layout in layouts:
            out = torch.full_like(q, float("nan"))
            pointers = [q.data_ptr(), k.data_ptr(), v.data_ptr()]
            if layout is not None:
                pointers.append(layout.data_ptr())
            pointers += [out.data_ptr(), workspace.data_ptr()]
            call = lambda: function(stream, *pointers)  # noqa: E731
            status = call()
            torch.cuda.synchronize()
            ok, rel = (False, float("nan")) if status else check(
                torch, q, k, v, out, case, layout)
            failures += not ok
            name = case["name"] + (f"@{int(density * 100)}%" if layout is not None else "")
            flops = dense_flops(case)
            if layout is not None:
                flops *= layout.float().mean().item()
            row = {"case": name, "check": f"{'ok' if ok else 'FAILED'} {rel:.1e}",
                   "flops": flops}
            row["mixir_ms"] = timer.median_ms(call) if ok else float("nan")
            if case["score"] == "softmax" and not case["causal"] and layout is None:
                softmax_ms[(case["dim"], case["length"])] = row["mixir_ms"]
            peers = {}
            if layout is None and case["score"] == "softmax" and not args.skip_peers:
                causal = bool(case["causal"])
                with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
                    expected = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
                    peers["sdpa"] = timer.median_ms(
                        lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
                if triton_run is None:
                    peers["triton"] = "skipped: no triton" if not args.skip_triton else "skipped"
                else:
                    o2 = torch.empty_like(q)
                    triton_run(q, k, v, o2, causal)
                    error = ((o2.double() - expected.double()).norm() /
                             expected.double().norm()).item()
                    # The bench's own Triton kernel, checked against SDPA.
                    peers["triton"] = (timer.median_ms(lambda: triton_run(q, k, v, o2, causal))
                                       if error <= BF16_TOLERANCE
                                       else f"wrong (rel_l2 {error:.1e} against SDPA)")
            if case["score"] == "softmax" and flex is not None:
                if budget.left() < 20:
                    peers["flex"] = "skipped: time budget"
                else:
                    if layout is not None:
                        mask = flex_block_mask(torch, layout, case["block"],
                                               case["heads"], case["length"])
                    elif case["causal"]:
                        mask = create_block_mask(lambda b, h, i, j: i >= j, None, None,
                                                 case["length"], case["length"])
                    else:
                        mask = None
                    peers["flex"] = timer.median_ms(lambda: flex(q, k, v, block_mask=mask))
            elif case["score"] == "softmax" and not args.skip_peers:
                peers["flex"] = f"skipped: {flex_reason}"
            if case["score"] == "sigmoid":
                peers["mixir softmax"] = softmax_ms.get((case["dim"], case["length"]), "n/a")
            row["peers"] = peers
            results.append(row)
            print(format_row(row), flush=True)
        del q, k, v
        torch.cuda.empty_cache()

    link = "skipped (--skip-link)" if args.skip_link else link_step(args, dry_run=False)
    write_report(args, results, card, gemm_tflops, link)
    return 1 if failures else 0


def format_row(row):
    tflops = row["flops"] / row["mixir_ms"] / 1e9 if row["mixir_ms"] == row["mixir_ms"] else float("nan")
    parts = [f"{row['case']:<24} {row['mixir_ms']:9.3f} ms {tflops:7.1f} TFLOP/s  {row['check']}"]
    for peer, value in row.get("peers", {}).items():
        if isinstance(value, float):
            parts.append(f"{peer} {value:.3f} ms (mixir x{value / row['mixir_ms']:.2f})")
        else:
            parts.append(f"{peer} {value}")
    return "  ".join(parts)


def write_report(args, results, card, gemm_tflops, link):
    os.makedirs(args.out, exist_ok=True)
    peers = ["sdpa", "flex", "triton", "mixir softmax"]
    lines = [f"# Mixir GPU benchmark on {card}", "",
             f"bf16, H = 16, B * S = 16384; medians of {args.runs} runs after {args.warmup} "
             f"(CUDA events). cuBLAS bf16 GEMM 8192^3: {gemm_tflops:.1f} TFLOP/s (the ceiling).",
             "Ratios are peer time / Mixir time (above 1: Mixir is faster); sigmoid's is "
             "against Mixir's own softmax.", "",
             "| case | check | Mixir ms | TFLOP/s | of GEMM | " +
             " | ".join(f"{p} ms | x" for p in peers) + " |",
             "|---" * (5 + 2 * len(peers)) + "|"]
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["case", "check", "mixir_ms", "tflops"] + peers)
        for row in results:
            ms = row["mixir_ms"]
            tflops = row["flops"] / ms / 1e9 if ms == ms else float("nan")
            cells = [row["case"], row["check"], f"{ms:.3f}", f"{tflops:.1f}",
                     f"{tflops / gemm_tflops:.2f}"]
            values = []
            for peer in peers:
                value = row["peers"].get(peer, "")
                values.append(value)
                if isinstance(value, float):
                    cells += [f"{value:.3f}", f"{value / ms:.2f}"]
                else:
                    cells += [str(value) or "-", "-"]
            lines.append("| " + " | ".join(cells) + " |")
            writer.writerow([row["case"], row["check"], ms, tflops] + values)
    lines += ["", f"Link step (a Mixir kernel and a Triton-AOT kernel in one C program "
                  f"through link.py): {link}"]
    table = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(table)
    print(table)


TRITON_SCALE = '''
import triton
import triton.language as tl


@triton.jit
def scale_kernel(X, Y, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(X + offsets, mask=offsets < n)
    tl.store(Y + offsets, x * 2, mask=offsets < n)
'''

C_PROGRAM = r'''
#include "linked.h"
#include <stdio.h>

static int fail(CUresult status, const char *what) {
  const char *name = "unknown";
  cuGetErrorName(status, &name);
  fprintf(stderr, "%s: %s\n", what, name);
  return 1;
}

int main(void) {
  CUdevice device;
  CUcontext context;
  CUresult status;
  if ((status = cuInit(0)) != CUDA_SUCCESS)
    return fail(status, "cuInit (no GPU here: the program is built, not run)");
  if ((status = cuDeviceGet(&device, 0)) || (status = cuDevicePrimaryCtxRetain(&context, device)) ||
      (status = cuCtxSetCurrent(context)))
    return fail(status, "context");
  size_t elements = @ELEMENTS@, bytes = elements * 2;
  CUdeviceptr q, k, v, o, doubled;
  if ((status = cuMemAlloc(&q, bytes)) || (status = cuMemAlloc(&k, bytes)) ||
      (status = cuMemAlloc(&v, bytes)) || (status = cuMemAlloc(&o, bytes)) ||
      (status = cuMemAlloc(&doubled, bytes)))
    return fail(status, "cuMemAlloc");
  /* bf16 1.0 (0x3F80) everywhere: attention gives 1.0, doubled 2.0 (0x4000). */
  if ((status = cuMemsetD16(q, 0x3F80, elements)) || (status = cuMemsetD16(k, 0x3F80, elements)) ||
      (status = cuMemsetD16(v, 0x3F80, elements)))
    return fail(status, "cuMemsetD16");
  load_@MIXIR@();
  @LOAD_TRITON@
  if ((status = @MIXIR@_default(0, q, k, v, o)))
    return fail(status, "the Mixir kernel");
  @CALL_TRITON@
  if ((status = cuCtxSynchronize()))
    return fail(status, "synchronize");
  unsigned short first, second;
  cuMemcpyDtoH(&first, o, 2);
  cuMemcpyDtoH(&second, doubled, 2);
  printf("link: mixir o[0] = 0x%04x (1.0 is 0x3f80), triton 2 * o[0] = 0x%04x (2.0 is 0x4000)\n",
         first, second);
  return first == 0x3F80 && @TRITON_OK@ ? 0 : 1;
}
'''


def link_step(args, dry_run):
    """Builds (and on the device runs) one C program linking a Mixir kernel
    and a Triton-AOT kernel through link.py; returns a one-line outcome."""
    kernels = os.path.join(args.dir, "kernels")
    headers = sorted(f for f in os.listdir(kernels)
                     if f.startswith("dense_64_") and "_kernel_" in f and f.endswith(".h"))
    if not headers:
        return "skipped: no dense_64 kernel was prepared"
    header = headers[0]
    mixir_base = header.split("_kernel_")[0] + "_kernel"
    length = int(mixir_base.split("_")[2])
    elements = (16384 // length) * 16 * length * 64
    work = tempfile.mkdtemp(prefix="mixir-link-")
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return "skipped: no C compiler on this machine"
    sources = [os.path.join(kernels, header[:-2] + ".c")]
    link_inputs = [os.path.join(kernels, header)]
    try:
        if dry_run:
            linker = [args.tt_link]
            include, libdir = args.cuda_include, os.path.dirname(args.stub_libcuda)
            triton_load = triton_call = ""
            triton_ok = "1"
        else:
            import triton
            nvidia = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia")
            include = os.path.join(nvidia, "include")
            from triton.backends.nvidia.driver import libcuda_dirs
            libdir = libcuda_dirs()[0]
            with open(os.path.join(work, "scale.py"), "w") as f:
                f.write(TRITON_SCALE)
            compile_help = subprocess.run(
                [sys.executable, "-m", "triton.tools.compile", "--help"],
                capture_output=True, text=True).stdout
            command = [sys.executable, "-m", "triton.tools.compile", os.path.join(work, "scale.py"),
                       "--kernel-name", "scale_kernel", "--signature", "*bf16:16, *bf16:16, i32, 1024",
                       "--num-warps", "4", "--out-name", "scale_kernel",
                       "--out-path", os.path.join(work, "scale_kernel")]
            if "--grid" in compile_help:
                command += ["--grid", "(n + 1023) / 1024,1,1"]
            subprocess.run(command, check=True, capture_output=True, text=True)
            triton_files = [f for f in os.listdir(work) if f.startswith("scale_kernel.")]
            sources += [os.path.join(work, f) for f in triton_files if f.endswith(".c")]
            link_inputs += [os.path.join(work, f) for f in triton_files if f.endswith(".h")]
            linker = [sys.executable, "-m", "triton.tools.link"]
            triton_load = "load_scale_kernel();"
            grid_args = "" if "--grid" in compile_help else "(unsigned)((elements + 1023) / 1024), 1, 1, "
            triton_call = ("if ((status = scale_kernel_default(0, " + grid_args +
                           "o, doubled, (int32_t)elements))) return fail(status, \"the Triton kernel\");")
            triton_ok = "second == 0x4000"
        subprocess.run(linker + link_inputs + ["-o", os.path.join(work, "linked")],
                       check=True, capture_output=True, text=True)
        program = (C_PROGRAM.replace("@ELEMENTS@", str(elements)).replace("@MIXIR@", mixir_base)
                   .replace("@LOAD_TRITON@", triton_load).replace("@CALL_TRITON@", triton_call)
                   .replace("@TRITON_OK@", triton_ok))
        with open(os.path.join(work, "program.c"), "w") as f:
            f.write(program)
        binary = os.path.join(work, "program")
        subprocess.run([cc, "-O2", "-std=gnu99", "-I" + work, "-I" + kernels, "-I" + include,
                        os.path.join(work, "program.c"), os.path.join(work, "linked.c")] + sources +
                       ["-o", binary, "-L" + libdir, "-lcuda"],
                       check=True, capture_output=True, text=True)
        if dry_run:
            return f"built {binary} (Mixir's kernel only; run on the device with Triton's)"
        run = subprocess.run([binary], capture_output=True, text=True, timeout=60)
        outcome = (run.stdout + run.stderr).strip()
        return ("ok: " if run.returncode == 0 else "FAILED: ") + outcome
    except subprocess.CalledProcessError as error:
        return f"FAILED: {' '.join(error.cmd[:3])}...: {(error.stderr or '').strip()[-400:]}"


def run_dry(args, cases):
    lib = load_library(args.dir, args.stub_libcuda)
    for case in cases:
        _, workspace = bind(lib, case)
        layouts = len(DENSITIES) if case["block"] else 1
        print(f"dry-run: {case['name']:<20} [{case['batch']}, {case['heads']}, "
              f"{case['length']}, {case['dim']}] {case['op']} {case['score']}"
              f"{' causal' if case['causal'] else ''}: workspace {workspace} bytes, "
              f"{layouts} layout(s), {dense_flops(case) / 1e12:.2f} TFLOP dense")
    print("dry-run: link step:",
          "skipped (--skip-link)" if args.skip_link else link_step(args, dry_run=True))
    print(f"dry-run: {len(cases)} functions ready; on the device: bench/gpu/run.sh")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="prepare.sh's directory")
    parser.add_argument("--out", required=True, help="where the table and CSV go")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=200,
                        help="seconds after which FlexAttention compiles are skipped")
    parser.add_argument("--cases", default="", help="regex on the case names")
    parser.add_argument("--skip-flex", action="store_true")
    parser.add_argument("--skip-triton", action="store_true")
    parser.add_argument("--skip-peers", action="store_true",
                        help="Mixir alone (no SDPA, Triton or FlexAttention)")
    parser.add_argument("--skip-link", action="store_true")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--stub-libcuda", default="", help="--dry-run: the stub libcuda.so")
    parser.add_argument("--cuda-include", default="", help="--dry-run: cuda.h's directory")
    parser.add_argument("--tt-link", default="", help="--dry-run: mixir-tt-link")
    args = parser.parse_args()
    if args.skip_peers:
        args.skip_flex = args.skip_triton = True
    cases = [c for c in read_cases(os.path.join(args.dir, "cases.tsv"))
             if re.search(args.cases, c["name"])]
    return run_dry(args, cases) if args.dry_run else run_device(args, cases)


if __name__ == "__main__":
    sys.exit(main())
