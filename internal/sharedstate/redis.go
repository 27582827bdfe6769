package sharedstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is the Store shared by every instance pointed at one Redis (REDIS_URL). Cost buckets
// are redis_rate's GCRA (one atomic round trip, on Redis's clock); slots are a sorted set per
// name whose members expire on their own; caches and expiring values are plain keys with a TTL.
type Redis struct {
	client  *redis.Client
	limiter *redis_rate.Limiter
	prefix  string
	// cacheTTL is how long a cache entry lives after it was last read or written: Redis's own
	// memory bound (maxmemory) stands in for the in-memory LRU's byte bound.
	cacheTTL time.Duration
}

// DefaultCacheTTL is how long a cache entry (a persisted query) outlives its last use in Redis.
const DefaultCacheTTL = 24 * time.Hour

// Timeouts of one Redis command unless REDIS_URL sets its own: loopback or a LAN answers in well
// under a millisecond, and a Redis that does not answer in this time is treated as away.
const (
	redisDialTimeout = 500 * time.Millisecond
	redisIOTimeout   = 300 * time.Millisecond
)

// ParseRedisURL reads REDIS_URL (redis:// or rediss://, with go-redis's query options such as
// dial_timeout or pool_size) into client options, with short timeouts where the URL sets none.
func ParseRedisURL(raw string) (*redis.Options, error) {
	o, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = redisDialTimeout
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = redisIOTimeout
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = redisIOTimeout
	}
	if o.PoolTimeout == 0 {
		o.PoolTimeout = redisIOTimeout
	}
	o.MaxRetries = -1 // a command that failed is answered by the fallback, not retried
	return o, nil
}

// NewRedis returns a store over the Redis of o; every key it writes starts with prefix. It does
// not connect yet.
func NewRedis(o *redis.Options, prefix string) *Redis {
	quietClientLog.Do(func() { redis.SetLogger(discard{}) })
	c := redis.NewClient(o)
	return &Redis{client: c, limiter: redis_rate.NewLimiter(c), prefix: prefix, cacheTTL: DefaultCacheTTL}
}

// quietClientLog silences go-redis's own log (a line per failed dial): Fallback logs the loss
// of Redis once, and its return.
var quietClientLog sync.Once

type discard struct{}

func (discard) Printf(context.Context, string, ...any) {}

// Close closes the connections to Redis.
func (r *Redis) Close() error { return r.client.Close() }

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }

// Take implements Store with redis_rate's GCRA: the same bucket as Memory's (Burst points,
// PerSecond back every second), kept by Redis.
func (r *Redis) Take(ctx context.Context, key string, cost int, rate Rate) (Budget, bool, error) {
	need := max(cost, 0)
	per := max(rate.PerSecond, 1) // GCRA needs a refill; Memory's 0 (never refilled) has no use here
	res, err := r.limiter.AllowN(ctx, r.prefix+key, redis_rate.Limit{Rate: per, Burst: rate.Burst, Period: time.Second}, need)
	if err != nil {
		return Budget{}, false, fmt.Errorf("shared state: taking %d points: %w", need, err)
	}
	ok := res.Allowed >= need
	out := Budget{Limit: rate.Burst, Remaining: res.Remaining, Reset: wholeSeconds(res.ResetAfter)}
	if !ok {
		out.RetryAfter = wholeSeconds(res.RetryAfter)
		if need > rate.Burst {
			out.RetryAfter = seconds(float64(rate.Burst), float64(per)) // never enough: the caller must ask for less
		}
	}
	return out, ok, nil
}

// wholeSeconds rounds up to a whole second, as Memory's budgets are.
func wholeSeconds(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(d.Seconds())) * time.Second
}

// acquireSlot takes a slot of KEYS[1] for the holder ARGV[3] when fewer than ARGV[1] unexpired
// holders are there; members are scored with their expiry (ms on Redis's clock), so a holder
// that never releases is dropped after ARGV[2] ms, and the set itself expires once idle.
var acquireSlot = redis.NewScript(`
local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
if redis.call("ZCARD", KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return 1
`)

// releaseTimeout bounds giving a slot back: the request is over, and a slot not given back
// expires anyway.
const releaseTimeout = time.Second

// Acquire implements Store.
func (r *Redis) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (func(), bool, error) {
	var id [12]byte
	_, _ = rand.Read(id[:])
	holder := hex.EncodeToString(id[:])
	name := r.prefix + key
	got, err := acquireSlot.Run(ctx, r.client, []string{name}, limit, ttl.Milliseconds(), holder).Int()
	if err != nil {
		return func() {}, false, fmt.Errorf("shared state: acquiring a slot: %w", err)
	}
	if got != 1 {
		return func() {}, false, nil
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
			defer cancel()
			_ = r.client.ZRem(cctx, name, holder).Err() // on failure the slot expires with its ttl
		})
	}, true, nil
}

func (r *Redis) cacheKey(ns, key string) string { return r.prefix + "cache:" + ns + ":" + key }

// Get implements Store; a read keeps the entry another cacheTTL.
func (r *Redis) Get(ctx context.Context, ns, key string) (string, bool, error) {
	v, err := r.client.GetEx(ctx, r.cacheKey(ns, key), r.cacheTTL).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("shared state: reading cache %s: %w", ns, err)
	}
	return v, true, nil
}

// Put implements Store.
func (r *Redis) Put(ctx context.Context, ns, key, value string) error {
	if err := r.client.Set(ctx, r.cacheKey(ns, key), value, r.cacheTTL).Err(); err != nil {
		return fmt.Errorf("shared state: writing cache %s: %w", ns, err)
	}
	return nil
}

// PutIfAbsent implements Store in one command (SET NX GET): Redis runs it atomically, so
// exactly one of several instances stores.
func (r *Redis) PutIfAbsent(ctx context.Context, key, value string, ttl time.Duration) (string, bool, error) {
	current, err := r.client.SetArgs(ctx, r.prefix+key, value, redis.SetArgs{Mode: "NX", Get: true, TTL: ttl}).Result()
	if errors.Is(err, redis.Nil) {
		return value, true, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("shared state: storing a value: %w", err)
	}
	return current, false, nil
}

// Replace implements Store.
func (r *Redis) Replace(ctx context.Context, key, value string, ttl time.Duration) error {
	if err := r.client.Set(ctx, r.prefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("shared state: replacing a value: %w", err)
	}
	return nil
}

// Delete implements Store.
func (r *Redis) Delete(ctx context.Context, key string) error {
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("shared state: deleting a value: %w", err)
	}
	return nil
}
