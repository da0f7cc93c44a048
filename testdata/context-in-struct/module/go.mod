module example.com/ctxmod

go 1.21
