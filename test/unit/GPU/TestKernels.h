//===- TestKernels.h - small kernels for the GPU target tests ---*- C++ -*-===//
//
// A hand-written sm_80 PTX kernel (c[i] = a[i] + b[i] for i < n) and the
// KernelImage that describes it, shared by the GPU target's unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TEST_UNIT_GPU_TESTKERNELS_H
#define MIXIR_TEST_UNIT_GPU_TESTKERNELS_H

#include "mixir/Target/GPU/KernelBundle.h"

namespace mixir::gpu::test {

inline const char *const kAddPtx = R"(.version 7.0
.target sm_80
.address_size 64

.visible .entry add(
	.param .u64 add_param_0,
	.param .u64 add_param_1,
	.param .u64 add_param_2,
	.param .u32 add_param_3
)
{
	.reg .pred 	%p<2>;
	.reg .b32 	%r<6>;
	.reg .f32 	%f<4>;
	.reg .b64 	%rd<11>;

	ld.param.u64 	%rd1, [add_param_0];
	ld.param.u64 	%rd2, [add_param_1];
	ld.param.u64 	%rd3, [add_param_2];
	ld.param.u32 	%r2, [add_param_3];
	mov.u32 	%r3, %ctaid.x;
	mov.u32 	%r4, %ntid.x;
	mov.u32 	%r5, %tid.x;
	mad.lo.s32 	%r1, %r3, %r4, %r5;
	setp.ge.s32 	%p1, %r1, %r2;
	@%p1 bra 	$L__BB0_2;
	cvta.to.global.u64 	%rd4, %rd1;
	mul.wide.s32 	%rd5, %r1, 4;
	add.s64 	%rd6, %rd4, %rd5;
	cvta.to.global.u64 	%rd7, %rd2;
	add.s64 	%rd8, %rd7, %rd5;
	ld.global.f32 	%f1, [%rd8];
	ld.global.f32 	%f2, [%rd6];
	add.f32 	%f3, %f2, %f1;
	cvta.to.global.u64 	%rd9, %rd3;
	add.s64 	%rd10, %rd9, %rd5;
	st.global.f32 	[%rd10], %f3;
$L__BB0_2:
	ret;
}
)";

/// The add kernel for sm_80: pointers a, b, c (16-byte aligned when
/// `aligned`) and int32 n, 4 blocks of 4 warps, no shared memory, PTX only.
inline KernelImage addImage(bool aligned = true) {
  using Kind = KernelParam::Kind;
  KernelImage image;
  image.baseName = "add";
  image.entry = "add";
  image.params = {{"a", Kind::Pointer, aligned},
                  {"b", Kind::Pointer, aligned},
                  {"c", Kind::Pointer, aligned},
                  {"n", Kind::I32, false}};
  image.grid = {4, 1, 1};
  image.numWarps = 4;
  image.numStages = 1;
  image.sharedBytes = 0;
  image.chip = "sm_80";
  image.ptx = kAddPtx;
  return image;
}

} // namespace mixir::gpu::test

#endif // MIXIR_TEST_UNIT_GPU_TESTKERNELS_H
