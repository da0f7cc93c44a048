module example.com/keymod

go 1.21
