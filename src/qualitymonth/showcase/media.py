"""Who may read a story's or an article's uploaded files: everyone once it is published, before
that only those who may see the draft (its unit's writers and the campaign office), as for the
draft's own page. Registered with core.media in ShowcaseConfig.ready()."""

from django.db.models import Q

from qualitymonth.showcase import selectors

# The folders the showcase's file fields upload to (Article.cover, BrandStory.cover and .video).
FOLDERS = ("articles/", "stories/")


def may_read_file(user, name: str) -> bool:
    """A file no article or story holds (one replaced or deleted) is nobody's to read."""
    articles = Q(cover=name)
    stories = Q(cover=name) | Q(video=name)
    if (
        selectors.public_articles().filter(articles).exists()
        or selectors.public_stories().filter(stories).exists()
    ):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        selectors.articles_editable_by(user).filter(articles).exists()
        or selectors.stories_editable_by(user).filter(stories).exists()
    )
