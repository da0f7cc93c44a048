package siblings

func (h *holder) Close() {
	h.cancel()
}
