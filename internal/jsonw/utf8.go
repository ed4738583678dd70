package jsonw

import "unicode/utf8"

const runeError = utf8.RuneError

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
