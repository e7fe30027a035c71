// Package memo is a bounded cache of computations: each value is computed
// once however many callers ask for it at the same time, the least
// recently used values are dropped past the bound, and failures are not
// kept, so the next caller tries again.
package memo

import (
	"container/list"
	"sync"
)

// Cache maps keys to computed values.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	items map[K]*list.Element
	order *list.List
}

type entry[K comparable, V any] struct {
	key  K
	once sync.Once
	val  V
	err  error
}

// New returns a cache of at most max values.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, items: map[K]*list.Element{}, order: list.New()}
}

// Get returns the value for key, computing it with compute if it is not
// there. Concurrent callers for the same key wait for one computation.
func (c *Cache[K, V]) Get(key K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	el, ok := c.items[key]
	if ok {
		c.order.MoveToFront(el)
	} else {
		el = c.order.PushFront(&entry[K, V]{key: key})
		c.items[key] = el
		for c.order.Len() > c.max {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.items, last.Value.(*entry[K, V]).key)
		}
	}
	e := el.Value.(*entry[K, V])
	c.mu.Unlock()
	e.once.Do(func() { e.val, e.err = compute() })
	if e.err != nil {
		c.mu.Lock()
		if cur, ok := c.items[key]; ok && cur == el {
			c.order.Remove(el)
			delete(c.items, key)
		}
		c.mu.Unlock()
	}
	return e.val, e.err
}

// Len returns how many values are cached.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
