module example.com/asyncgodebug

go 1.24

godebug asynctimerchan=1
