// Package memo is a bounded cache of computations: each value is computed
// once however many callers ask for it at the same time, the least
// recently used values are dropped past the bound, and failures are not
// kept, so the next caller tries again.
package memo

import (
	"container/list"
	"fmt"
	"sync"
)

// Cache maps keys to computed values.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int         // most values
	maxCost int         // most total cost (0: no bound)
	cost    func(V) int // cost of a value, for maxCost
	total   int         // total cost of the computed values
	items   map[K]*list.Element
	order   *list.List
}

type entry[K comparable, V any] struct {
	key  K
	once sync.Once
	val  V
	err  error
	cost int
}

// New returns a cache of at most max values.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, items: map[K]*list.Element{}, order: list.New()}
}

// NewWeighted returns a cache of at most max values whose costs (say,
// their sizes in bytes) add up to at most maxCost.
func NewWeighted[K comparable, V any](max, maxCost int, cost func(V) int) *Cache[K, V] {
	c := New[K, V](max)
	c.maxCost, c.cost = maxCost, cost
	return c
}

// evict drops the least recently used values while over a bound, keeping
// the newest one. The caller holds mu.
func (c *Cache[K, V]) evict() {
	for c.order.Len() > 1 && (c.order.Len() > c.max || (c.maxCost > 0 && c.total > c.maxCost)) {
		c.remove(c.order.Back())
	}
}

func (c *Cache[K, V]) remove(el *list.Element) {
	e := el.Value.(*entry[K, V])
	c.order.Remove(el)
	delete(c.items, e.key)
	c.total -= e.cost
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
		c.evict()
	}
	e := el.Value.(*entry[K, V])
	c.mu.Unlock()
	e.once.Do(func() {
		func() {
			// A panic must not leave a computed-looking empty value
			// behind for every later caller: it becomes this call's error
			// and is not kept, then goes on up.
			defer func() {
				if r := recover(); r != nil {
					e.err = fmt.Errorf("memo: computation panicked: %v", r)
					c.mu.Lock()
					if cur, ok := c.items[key]; ok && cur == el {
						c.remove(el)
					}
					c.mu.Unlock()
					panic(r)
				}
			}()
			e.val, e.err = compute()
		}()
		c.mu.Lock()
		defer c.mu.Unlock()
		cur, ok := c.items[key]
		switch {
		case !ok || cur != el:
			// Dropped while computing: nothing to account for.
		case e.err != nil:
			c.remove(el)
		case c.cost != nil:
			e.cost = c.cost(e.val)
			c.total += e.cost
			c.evict()
		}
	})
	return e.val, e.err
}

// Cost returns the total cost of the cached values.
func (c *Cache[K, V]) Cost() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Len returns how many values are cached.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
