package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"regexp"
	"strconv"
	"time"

	"gorm.io/gorm"

	"skillarena"
	"skillarena/org"
)

// Asset is an uploaded image used in question stems and study material.
type Asset struct {
	ID          int64
	SHA256      string `gorm:"column:sha256"`
	ContentType string
	Size        int
	Data        []byte
	CreatedBy   int64
	CreatedAt   time.Time
}

// TableName keeps GORM's table name explicit.
func (Asset) TableName() string { return "assets" }

// MaxAssetBytes bounds an uploaded image.
const MaxAssetBytes = 2 << 20

// MaxImagePixels bounds an image's width × height, so a small file cannot
// claim a gigantic canvas.
const MaxImagePixels = 25_000_000

// UploadImage stores an image after checking that it really is a PNG, JPEG or
// GIF (by decoding its header, whatever the file name or declared type says)
// and within the size limits. The same bytes uploaded twice share one asset.
func (s *Service) UploadImage(ctx context.Context, data []byte) (Asset, error) {
	if len(data) > MaxAssetBytes {
		return Asset{}, skillarena.NewError(skillarena.ETOOLARGE, "asset.too_large", map[string]any{"MaxMB": MaxAssetBytes >> 20})
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Asset{}, skillarena.NewError(skillarena.EINVALID, "asset.not_an_image", nil)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxImagePixels {
		return Asset{}, skillarena.NewError(skillarena.EINVALID, "asset.too_many_pixels", nil)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	var a Asset
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		err := tx.Where("sha256 = ?", hash).Take(&a).Error
		if err == nil {
			return nil
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		a = Asset{SHA256: hash, ContentType: "image/" + format, Size: len(data), Data: data, CreatedBy: skillarena.ActorID(ctx)}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return s.audit.Append(ctx, tx, org.Change{Action: "asset.upload", ObjectType: "asset", ObjectID: strconv.FormatInt(a.ID, 10),
			After: map[string]any{"sha256": hash, "content_type": a.ContentType, "size": a.Size}})
	})
	return a, dbError(err, "upload image")
}

// AssetURL is where an asset is served. It names the content's SHA-256, not
// the sequential id, so nobody can enumerate the images of questions they have
// not been shown (an exam's images before the exam).
func AssetURL(sha string) string { return "/api/v1/assets/" + sha }

var assetHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// AssetByHash returns the asset whose content has the given SHA-256.
func (s *Service) AssetByHash(ctx context.Context, sha string) (Asset, error) {
	var a Asset
	if !assetHash.MatchString(sha) {
		return a, skillarena.NotFound("asset")
	}
	err := s.db.WithContext(ctx).Where("sha256 = ?", sha).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, skillarena.NotFound("asset")
	}
	return a, err
}
