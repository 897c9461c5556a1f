# What differs per run in console output, masked before comparing with the
# golden .out files (sed -E; golden.test.sh and url_profile.test.sh):
# instance ids, the account uid, DESC times, DESC EXTENDED's table uuid,
# the catalog's generated bucket name and snapshot commit times in time-travel
# errors. The DESC masks keep the width,
# so DESC boxes stay aligned.
s/^ID = [0-9a-z]+$/ID = <instance-id>/
s/acs:ram::[0-9]{16}:/acs:ram::<uid>:/g
s/(Time: +)[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/\1yyyy-MM-dd HH:mm:ss/
s/^(\| TableID +: )[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/\1xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/
s/clg-paimon-[0-9a-f]{16}/clg-paimon-xxxxxxxxxxxxxxxx/g
s/(was committed at )[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12}/\1yyyy-MM-dd HH:mm:ss.SSS/
