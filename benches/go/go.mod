module gumloopbench

go 1.19

require gumloop v0.0.0

replace gumloop => ../../bindings/go
