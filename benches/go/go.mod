module gumloopbench

go 1.23

require go.gumloop.com/gumloop v0.0.0

replace go.gumloop.com/gumloop => ../../bindings/go
