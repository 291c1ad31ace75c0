//go:build !purego

#include "textflag.h"

// func dot4(n, p *float64, length int, out *[4]float64)
//
// Row r's partial sums s0, s1 (cells 4i, 4i+1) are the lanes of one
// register, s2, s3 (cells 4i+2, 4i+3) of another, as dot adds them; the
// result is (s0 + s1) + (s2 + s3), as dot returns it.
TEXT ·dot4(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), SI
	MOVQ p+8(FP), DI
	MOVQ length+16(FP), CX
	MOVQ out+24(FP), DX
	SHLQ $3, CX            // bytes in a row
	LEAQ (DI)(CX*1), R9    // row 1
	LEAQ (R9)(CX*1), R10   // row 2
	LEAQ (R10)(CX*1), R11  // row 3
	XORPS X4, X4
	XORPS X5, X5
	XORPS X6, X6
	XORPS X7, X7
	XORPS X8, X8
	XORPS X9, X9
	XORPS X10, X10
	XORPS X11, X11
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  sums
	MOVUPD (SI)(AX*1), X0
	MOVUPD 16(SI)(AX*1), X1

	MOVUPD (DI)(AX*1), X2
	MULPD  X0, X2
	ADDPD  X2, X4
	MOVUPD 16(DI)(AX*1), X3
	MULPD  X1, X3
	ADDPD  X3, X5

	MOVUPD (R9)(AX*1), X2
	MULPD  X0, X2
	ADDPD  X2, X6
	MOVUPD 16(R9)(AX*1), X3
	MULPD  X1, X3
	ADDPD  X3, X7

	MOVUPD (R10)(AX*1), X2
	MULPD  X0, X2
	ADDPD  X2, X8
	MOVUPD 16(R10)(AX*1), X3
	MULPD  X1, X3
	ADDPD  X3, X9

	MOVUPD (R11)(AX*1), X2
	MULPD  X0, X2
	ADDPD  X2, X10
	MOVUPD 16(R11)(AX*1), X3
	MULPD  X1, X3
	ADDPD  X3, X11

	ADDQ $32, AX
	JMP  loop

sums:
	// (s0 + s1) + (s2 + s3) for each row
	MOVAPD   X4, X0
	UNPCKHPD X0, X0
	ADDSD    X0, X4
	MOVAPD   X5, X1
	UNPCKHPD X1, X1
	ADDSD    X1, X5
	ADDSD    X5, X4
	MOVSD    X4, 0(DX)

	MOVAPD   X6, X0
	UNPCKHPD X0, X0
	ADDSD    X0, X6
	MOVAPD   X7, X1
	UNPCKHPD X1, X1
	ADDSD    X1, X7
	ADDSD    X7, X6
	MOVSD    X6, 8(DX)

	MOVAPD   X8, X0
	UNPCKHPD X0, X0
	ADDSD    X0, X8
	MOVAPD   X9, X1
	UNPCKHPD X1, X1
	ADDSD    X1, X9
	ADDSD    X9, X8
	MOVSD    X8, 16(DX)

	MOVAPD   X10, X0
	UNPCKHPD X0, X0
	ADDSD    X0, X10
	MOVAPD   X11, X1
	UNPCKHPD X1, X1
	ADDSD    X1, X11
	ADDSD    X11, X10
	MOVSD    X10, 24(DX)
	RET
