//go:build !amd64 || purego

package diagnostics

// dots writes into out[d] dot(n, p[d×len(n):(d+1)×len(n)]).
func dots(n, p, out []float64) {
	m := len(n)
	_ = p[:len(out)*m]
	for d := range out {
		out[d] = dot(n, p[d*m:(d+1)*m])
	}
}
