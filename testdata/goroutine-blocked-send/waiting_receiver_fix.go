package blockedsend

// The value is discarded: closing on return is always safe.
func watchFixed() error {
	done := make(chan struct{})
	go func() {
		<-done // want `this receive from done blocks forever`
		cleanup()
	}()
	if err := prepare(); err != nil {
		return err
	}
	done <- struct{}{}
	return nil
}
