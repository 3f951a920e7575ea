module gumloop-examples

go 1.23

require gumloop v0.0.0

replace gumloop => ../../bindings/go
