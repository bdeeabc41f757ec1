// Package content holds topics, question banks, questions and their versions,
// study material and the import/export formats. It may import only the root
// package and org.
package content
